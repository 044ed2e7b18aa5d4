ALTER TABLE "instance_settings" ADD COLUMN "event_creation" text DEFAULT 'anyone' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "creates_events" boolean DEFAULT false NOT NULL;