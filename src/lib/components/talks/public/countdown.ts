// The stage clock as people read it: 4:59 … 0:01, 0:00, then counting on as -0:12.

export function formatCountdown(ms: number): string {
	const over = ms <= 0;
	const seconds = over ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
	const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
	return over && seconds > 0 ? `-${text}` : text;
}

export type ClockPhase = 'ok' | 'last_minute' | 'over';

export function clockPhase(ms: number): ClockPhase {
	if (ms <= 0) return 'over';
	return ms <= 60_000 ? 'last_minute' : 'ok';
}
