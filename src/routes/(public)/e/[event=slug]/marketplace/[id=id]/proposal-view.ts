import { renderMarkdown } from '$lib/markdown';
import { SUGGESTED_FIELDS } from '$lib/server/marketplace/comments';
import type { proposalPage } from '$lib/server/marketplace/proposal-page';

// How the proposal's page shows what proposalPage read: Markdown rendered, what each version
// changed, and each suggestion against the text as it is now.

type Page = Awaited<ReturnType<typeof proposalPage>>;
type Content = { title: string; question: string; description: string };

/** Each version with what it changed from the one before (the first changed everything). */
function withChanges<T extends { content: Content }>(history: T[]) {
	return history.map((entry, i) => {
		const before = history[i + 1]?.content;
		return {
			...entry,
			titleChanged: !before || before.title !== entry.content.title,
			questionChanged: !before || before.question !== entry.content.question
		};
	});
}

/** The thread as the page shows it: Markdown rendered, each suggestion against the text now. */
function thread(comments: Page['comments'], now: Content) {
	return comments.map((c) => ({
		id: c.id,
		kind: c.kind,
		author: c.author,
		createdAt: c.createdAt,
		bodyHtml: c.body ? renderMarkdown(c.body) : '',
		status: c.status,
		changes: SUGGESTED_FIELDS.filter((field) => c.suggested?.[field] !== undefined).map(
			(field) => ({ field, from: now[field], to: c.suggested?.[field] ?? '' })
		)
	}));
}

export function proposalView(page: Page) {
	const { proposal } = page;
	return {
		proposal: {
			id: proposal.id,
			title: proposal.title,
			question: proposal.question,
			description: proposal.description,
			descriptionHtml: renderMarkdown(proposal.description),
			format: proposal.format,
			groupSize: proposal.groupSize,
			version: proposal.version,
			status: proposal.status,
			mergedInto: proposal.mergedInto,
			conveners: proposal.conveners.map((c) => c.name),
			total: page.total,
			interest: page.interest,
			mine: page.marked
		},
		round: { id: proposal.round.id, title: proposal.round.title, phase: proposal.round.phase },
		history: withChanges(page.history),
		comments: thread(page.comments, proposal),
		rights: page.rights,
		mergeRequests: page.mergeRequests,
		mergeCandidates: page.mergeCandidates
	};
}
