CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"format" text NOT NULL,
	"input_shape" jsonb NOT NULL,
	"classes" jsonb NOT NULL,
	"encodings" jsonb NOT NULL,
	"options" jsonb NOT NULL,
	"preview" jsonb NOT NULL,
	"train_size" integer NOT NULL,
	"validation_size" integer NOT NULL,
	"test_size" integer NOT NULL,
	"features" "bytea" NOT NULL,
	"labels" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "datasets_owner_created_idx" ON "datasets" USING btree ("owner_id","created_at");