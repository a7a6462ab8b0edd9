import type { FormService } from "../../core/inbound.ts";
import { buildCheckInForm, submitCheckInForm } from "./check-in-form.ts";
import { suggestKrs, suggestObjectives, suggestTeams } from "./kr-suggestions.ts";
import { snoozeAWeek } from "./snooze-week.ts";

/** The check-in form, suggestions and button lines, as the core runs them behind its one door. */
export const forms: FormService = {
  build: buildCheckInForm,
  submit: submitCheckInForm,
  async suggest(ctx, field, partial, forUpdate) {
    if (field === "team") return (await suggestTeams(ctx, partial)).map((t) => ({ label: t, value: t }));
    const found =
      field === "objective"
        ? await suggestObjectives(ctx, partial)
        : await suggestKrs(ctx, partial, { forUpdate });
    return found.map((s) => ({ label: s.label, value: s.code }));
  },
  snoozeLine: snoozeAWeek,
};
