// `turf sample-data`: the sample company, into an empty database only (it would otherwise mix
// invented accounts into a real book and collide with rules RevOps already wrote).
import { act, type CommandModule } from "./context.ts";

export const sampleDataModule: CommandModule = {
  register(program, context) {
    program
      .command("sample-data")
      .description("load the sample company (data/sample) into an empty database")
      .action(
        act(context, async () => {
          const { isDatabaseEmpty, loadSampleData } = await import("../services/sample-data.ts");
          const db = await context.database();
          if (!(await isDatabaseEmpty(db.prisma))) {
            context.err(
              `${db.describe} already holds reps or accounts; the sample company loads only into an empty database. Nothing was changed.`,
            );
            return 1;
          }
          const summaries = await loadSampleData(db.prisma, context.now);
          for (const s of summaries)
            context.err(`${s.kind}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged`);
          return 0;
        }),
      );
  },
};
