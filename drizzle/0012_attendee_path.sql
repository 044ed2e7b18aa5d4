ALTER TABLE "instance_settings" ADD COLUMN "event_creation" text DEFAULT 'anyone' NOT NULL;--> statement-breakpoint
ALTER TABLE "email_tokens" ADD COLUMN "user_id" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "creates_events" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "email_tokens" ADD CONSTRAINT "email_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;