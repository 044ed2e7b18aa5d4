// The shapes the running-order components read; the server sends more, these need no more.

export interface OrderTalk {
	id: number;
	title: string;
	presenters: string;
}

export interface PlacedTalk {
	talk: OrderTalk;
	startsAt: Date;
	endsAt: Date;
	overrun: boolean;
	overDayLimit: boolean;
	withoutTicket: string[];
}

export interface OrderBlock {
	block: { id: number; title: string; startsAt: Date; endsAt: Date };
	date: string;
	talks: PlacedTalk[];
}
