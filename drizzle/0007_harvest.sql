CREATE TABLE "harvest_changes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "harvest_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"harvest_id" integer NOT NULL,
	"field" text NOT NULL,
	"item_id" integer,
	"change" text NOT NULL,
	"version" integer NOT NULL,
	"value" jsonb,
	"user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "harvest_continuers" (
	"harvest_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"contact" text DEFAULT '' NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "harvest_continuers_harvest_id_user_id_pk" PRIMARY KEY("harvest_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "harvest_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "harvest_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"harvest_id" integer NOT NULL,
	"kind" text NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"owner" text,
	"due_on" date,
	"url" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by" integer
);
--> statement-breakpoint
CREATE TABLE "harvest_note_takers" (
	"harvest_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"assigned_by" integer,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "harvest_note_takers_harvest_id_user_id_pk" PRIMARY KEY("harvest_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "harvests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "harvests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"session_id" integer NOT NULL,
	"question" text DEFAULT '' NOT NULL,
	"question_version" integer DEFAULT 0 NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"notes_version" integer DEFAULT 0 NOT NULL,
	"participants" integer,
	"participants_version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "harvest_changes" ADD CONSTRAINT "harvest_changes_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_changes" ADD CONSTRAINT "harvest_changes_harvest_id_harvests_id_fk" FOREIGN KEY ("harvest_id") REFERENCES "public"."harvests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_changes" ADD CONSTRAINT "harvest_changes_item_id_harvest_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."harvest_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_changes" ADD CONSTRAINT "harvest_changes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_continuers" ADD CONSTRAINT "harvest_continuers_harvest_id_harvests_id_fk" FOREIGN KEY ("harvest_id") REFERENCES "public"."harvests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_continuers" ADD CONSTRAINT "harvest_continuers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_items" ADD CONSTRAINT "harvest_items_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_items" ADD CONSTRAINT "harvest_items_harvest_id_harvests_id_fk" FOREIGN KEY ("harvest_id") REFERENCES "public"."harvests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_items" ADD CONSTRAINT "harvest_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_items" ADD CONSTRAINT "harvest_items_removed_by_users_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_note_takers" ADD CONSTRAINT "harvest_note_takers_harvest_id_harvests_id_fk" FOREIGN KEY ("harvest_id") REFERENCES "public"."harvests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_note_takers" ADD CONSTRAINT "harvest_note_takers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_note_takers" ADD CONSTRAINT "harvest_note_takers_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvests" ADD CONSTRAINT "harvests_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvests" ADD CONSTRAINT "harvests_session_id_agenda_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."agenda_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "harvest_changes_harvest_idx" ON "harvest_changes" USING btree ("harvest_id");--> statement-breakpoint
CREATE INDEX "harvest_changes_user_idx" ON "harvest_changes" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "harvest_continuers_user_idx" ON "harvest_continuers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "harvest_items_harvest_idx" ON "harvest_items" USING btree ("harvest_id","kind","created_at");--> statement-breakpoint
CREATE INDEX "harvest_note_takers_user_idx" ON "harvest_note_takers" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "harvests_session_uq" ON "harvests" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "harvests_event_idx" ON "harvests" USING btree ("event_id");