import type { ArgSpec } from "../../core/command.ts";

/** The required key-result option most commands take, with autocomplete (Discord's `kr:`). */
export const KR_OPTION: ArgSpec = {
  name: "kr",
  type: "string",
  description: "A key result, like IV.KR2 (start typing a code or title)",
  required: true,
  autocomplete: "kr",
};
