/** Colours for series told apart (one per ticket type), each readable on white; lines also differ by dash. */
export const SERIES = [
	{ colour: 'var(--accent)', dash: '' },
	{ colour: '#b35900', dash: '8 4' },
	{ colour: '#5a3d8a', dash: '2 4' },
	{ colour: '#1d4f91', dash: '12 4 2 4' },
	{ colour: '#a3211a', dash: '4 4' },
	{ colour: '#4a525c', dash: '1 3' }
];

export const seriesStyle = (i: number) => SERIES[i % SERIES.length];
