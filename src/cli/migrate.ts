// `turf migrate`: opening the database applies pending migrations; this only reports it.
import { act, type CommandModule } from "./context.ts";

export const migrateModule: CommandModule = {
  register(program, context) {
    program
      .command("migrate")
      .description("apply pending database migrations")
      .action(
        act(context, async () => {
          const db = await context.database();
          context.err(`Database ${db.describe} is up to date.`);
          return 0;
        }),
      );
  },
};
