CREATE TABLE "stage" (
	"event_id" integer PRIMARY KEY NOT NULL,
	"talk_id" integer,
	"started_at" timestamp with time zone,
	"elapsed_ms" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "talk_calls" (
	"event_id" integer PRIMARY KEY NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"talk_minutes" integer DEFAULT 5 NOT NULL,
	"per_day" integer DEFAULT 8 NOT NULL,
	"summary_max" integer DEFAULT 600 NOT NULL,
	"ticket_rule" text DEFAULT 'present' NOT NULL,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"accepted_template" text NOT NULL,
	"reserve_template" text NOT NULL,
	"declined_template" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "talk_presenters" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "talk_presenters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"talk_id" integer NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" integer,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "talk_presenters_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "talk_reviews" (
	"talk_id" integer NOT NULL,
	"reviewer_id" integer NOT NULL,
	"score" integer,
	"note" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "talk_reviews_talk_id_reviewer_id_pk" PRIMARY KEY("talk_id","reviewer_id")
);
--> statement-breakpoint
CREATE TABLE "talks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "talks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"submitter_id" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"presenters" text DEFAULT '' NOT NULL,
	"links" text DEFAULT '' NOT NULL,
	"preferred_day_id" integer,
	"access_needs" text DEFAULT '' NOT NULL,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notified_status" text,
	"block_id" integer,
	"position" integer DEFAULT 0 NOT NULL,
	"ticket_reminder_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stage" ADD CONSTRAINT "stage_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage" ADD CONSTRAINT "stage_talk_id_talks_id_fk" FOREIGN KEY ("talk_id") REFERENCES "public"."talks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_calls" ADD CONSTRAINT "talk_calls_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_presenters" ADD CONSTRAINT "talk_presenters_talk_id_talks_id_fk" FOREIGN KEY ("talk_id") REFERENCES "public"."talks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_presenters" ADD CONSTRAINT "talk_presenters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_reviews" ADD CONSTRAINT "talk_reviews_talk_id_talks_id_fk" FOREIGN KEY ("talk_id") REFERENCES "public"."talks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_reviews" ADD CONSTRAINT "talk_reviews_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talks" ADD CONSTRAINT "talks_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talks" ADD CONSTRAINT "talks_submitter_id_users_id_fk" FOREIGN KEY ("submitter_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talks" ADD CONSTRAINT "talks_preferred_day_id_days_id_fk" FOREIGN KEY ("preferred_day_id") REFERENCES "public"."days"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talks" ADD CONSTRAINT "talks_block_id_blocks_id_fk" FOREIGN KEY ("block_id") REFERENCES "public"."blocks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "talk_presenters_talk_idx" ON "talk_presenters" USING btree ("talk_id");--> statement-breakpoint
CREATE INDEX "talk_presenters_user_idx" ON "talk_presenters" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "talks_event_idx" ON "talks" USING btree ("event_id","status");--> statement-breakpoint
CREATE INDEX "talks_submitter_idx" ON "talks" USING btree ("submitter_id");--> statement-breakpoint
CREATE INDEX "talks_block_idx" ON "talks" USING btree ("block_id","position");