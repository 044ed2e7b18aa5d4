// How a door reads a ticket code, shared by the server and the door phone (which looks codes up in
// its offline list by the same rule).

/** The code alone, whether typed, scanned as a bare code, or scanned as the ticket's check-in URL. */
export function codeFrom(input: string): string {
	const trimmed = input.trim();
	const fromUrl = trimmed.match(/[?&]code=([a-z0-9]+)/i);
	return (fromUrl ? fromUrl[1] : trimmed).toLowerCase();
}

/** A door's name as it is recorded: trimmed, at most 60 characters, or none. */
export function doorName(input: string | null | undefined): string | null {
	const name = (input ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
	return name || null;
}
