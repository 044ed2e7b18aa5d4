import { orHttpError } from '$lib/server/core/http';
import { outboxMessage } from '$lib/server/core/mail';
import { mailHtml, withInlineImages } from '$lib/server/core/mail-html';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const message = await orHttpError(url, () => outboxMessage(locals.user, Number(params.id)));
	return {
		message: {
			id: message.id,
			to: message.to,
			subject: message.subject,
			text: message.text,
			createdAt: message.createdAt,
			html: withInlineImages(
				message.html ?? mailHtml(message.subject, message.text),
				message.attachments
			),
			attachments: message.attachments.map((a) => ({
				filename: a.filename,
				contentType: a.contentType,
				bytes: Buffer.byteLength(a.content, 'base64')
			}))
		}
	};
};
