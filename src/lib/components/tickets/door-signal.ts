// What the door hears and feels after a scan, so the volunteer need not look at the phone:
// one high beep and a short buzz for "come in", two low beeps and a long buzz for anything else.
// Browsers only let a page make sound after a tap, so `unlockSound` runs on the first one.

let audio: AudioContext | null = null;

export function unlockSound() {
	if (audio || typeof AudioContext === 'undefined') return;
	audio = new AudioContext();
}

function beep(ctx: AudioContext, frequency: number, at: number, seconds: number) {
	const tone = ctx.createOscillator();
	const gain = ctx.createGain();
	tone.frequency.value = frequency;
	gain.gain.setValueAtTime(0.25, ctx.currentTime + at);
	gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + at + seconds);
	tone.connect(gain).connect(ctx.destination);
	tone.start(ctx.currentTime + at);
	tone.stop(ctx.currentTime + at + seconds);
}

export function signal(ok: boolean) {
	navigator.vibrate?.(ok ? 80 : [120, 80, 120]);
	if (!audio) return;
	void audio.resume();
	if (ok) beep(audio, 1320, 0, 0.15);
	else {
		beep(audio, 220, 0, 0.18);
		beep(audio, 220, 0.25, 0.18);
	}
}
