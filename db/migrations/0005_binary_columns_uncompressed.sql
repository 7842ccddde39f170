-- Dataset numbers and weights are float or pixel bytes that compress poorly, and PostgreSQL's
-- default storage runs its compressor over every large value before giving up. In PGlite that
-- compressor runs on the web server's own thread: storing Fashion-MNIST (52 MB) took 8.4 s, of
-- which 6.5 s held every other request; without compression it takes 2 s. EXTERNAL keeps the
-- values out of line, uncompressed; rows already stored are unchanged and still readable.
ALTER TABLE "dataset_chunks" ALTER COLUMN "features" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "dataset_chunks" ALTER COLUMN "labels" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "run_weights" ALTER COLUMN "weight_data" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "run_checkpoints" ALTER COLUMN "weight_data" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "run_checkpoints" ALTER COLUMN "optimizer_data" SET STORAGE EXTERNAL;
