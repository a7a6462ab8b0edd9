/** Discord's documented limits and the checks that answer 50035 Invalid Form Body (or 50006) past them. */
import { isObject } from "./objects.ts";
import type { FakeDiscordFile, JsonObject } from "./types.ts";

/** Discord's documented limits that the fake enforces (50035 Invalid Form Body past them). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  modalTitle: 45,
  modalComponents: 5,
  textInputLabel: 45,
  textInputPlaceholder: 100,
  customId: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
} as const;

/** Discord's nested form-error shape: `{ data: { embeds: { 0: { description: { _errors: [...] } } } } }`. */
export class FormErrors {
  readonly tree: JsonObject = {};
  count = 0;
  add(path: (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const k = String(key);
      const next = node[k];
      if (isObject(next)) node = next;
      else {
        const created: JsonObject = {};
        node[k] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : [];
    list.push({ code, message });
    node._errors = list;
    this.count++;
  }
  maxLength(path: (string | number)[], value: unknown, max: number): void {
    if (typeof value === "string" && value.length > max) {
      this.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
    }
  }
  range(path: (string | number)[], value: unknown, min: number, max: number): void {
    if (typeof value !== "string" || value.length < min || value.length > max) {
      this.add(path, "BASE_TYPE_BAD_LENGTH", `Must be between ${min} and ${max} in length.`);
    }
  }
  maxItems(path: (string | number)[], value: unknown, max: number): void {
    if (Array.isArray(value) && value.length > max) {
      this.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
    }
  }
}

function strLen(v: unknown): number {
  return typeof v === "string" ? v.length : 0;
}

export function validateMessage(body: JsonObject, prefix: (string | number)[], errors: FormErrors): void {
  errors.maxLength([...prefix, "content"], body.content, DISCORD_LIMITS.content);
  const embeds = body.embeds;
  if (Array.isArray(embeds)) {
    errors.maxItems([...prefix, "embeds"], embeds, DISCORD_LIMITS.embeds);
    let total = 0;
    embeds.forEach((embed, i) => {
      if (!isObject(embed)) return;
      const p = [...prefix, "embeds", i];
      errors.maxLength([...p, "title"], embed.title, DISCORD_LIMITS.embedTitle);
      errors.maxLength([...p, "description"], embed.description, DISCORD_LIMITS.embedDescription);
      total += strLen(embed.title) + strLen(embed.description);
      if (isObject(embed.footer)) {
        errors.maxLength([...p, "footer", "text"], embed.footer.text, DISCORD_LIMITS.footerText);
        total += strLen(embed.footer.text);
      }
      if (isObject(embed.author)) {
        errors.maxLength([...p, "author", "name"], embed.author.name, DISCORD_LIMITS.authorName);
        total += strLen(embed.author.name);
      }
      if (Array.isArray(embed.fields)) {
        errors.maxItems([...p, "fields"], embed.fields, DISCORD_LIMITS.embedFields);
        embed.fields.forEach((field, j) => {
          if (!isObject(field)) return;
          errors.range([...p, "fields", j, "name"], field.name, 1, DISCORD_LIMITS.fieldName);
          errors.range([...p, "fields", j, "value"], field.value, 1, DISCORD_LIMITS.fieldValue);
          total += strLen(field.name) + strLen(field.value);
        });
      }
    });
    if (total > DISCORD_LIMITS.embedTotal) {
      errors.add(
        [...prefix, "embeds"],
        "MAX_EMBED_SIZE_EXCEEDED",
        `Embed size exceeds maximum size of ${DISCORD_LIMITS.embedTotal}`,
      );
    }
  }
  if (Array.isArray(body.components) && !(Number(body.flags ?? 0) & (1 << 15))) {
    errors.maxItems([...prefix, "components"], body.components, DISCORD_LIMITS.actionRows);
  }
}

export function isEmptyMessage(body: JsonObject, files: FakeDiscordFile[]): boolean {
  const nonEmptyArray = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (
    (typeof body.content !== "string" || body.content === "") &&
    !nonEmptyArray(body.embeds) &&
    !nonEmptyArray(body.components) &&
    !nonEmptyArray(body.attachments) &&
    !nonEmptyArray(body.sticker_ids) &&
    body.poll === undefined &&
    files.length === 0
  );
}

export function validateModal(data: JsonObject, errors: FormErrors): void {
  errors.range(["data", "title"], data.title, 1, DISCORD_LIMITS.modalTitle);
  errors.range(["data", "custom_id"], data.custom_id, 1, DISCORD_LIMITS.customId);
  const rows = data.components;
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > DISCORD_LIMITS.modalComponents) {
    errors.add(
      ["data", "components"],
      "BASE_TYPE_BAD_LENGTH",
      `Must be between 1 and ${DISCORD_LIMITS.modalComponents} in length.`,
    );
    return;
  }
  rows.forEach((row, i) => {
    if (!isObject(row)) return;
    const inputs: [JsonObject, (string | number)[]][] = [];
    if (Array.isArray(row.components)) {
      row.components.forEach((c, j) => {
        if (isObject(c)) inputs.push([c, ["data", "components", i, "components", j]]);
      });
    }
    if (isObject(row.component)) inputs.push([row.component, ["data", "components", i, "component"]]);
    if (typeof row.label === "string") {
      errors.range(["data", "components", i, "label"], row.label, 1, DISCORD_LIMITS.textInputLabel);
    }
    for (const [input, p] of inputs) {
      if (input.type !== 4) continue;
      errors.range([...p, "custom_id"], input.custom_id, 1, DISCORD_LIMITS.customId);
      if ("label" in input) errors.range([...p, "label"], input.label, 1, DISCORD_LIMITS.textInputLabel);
      errors.maxLength([...p, "placeholder"], input.placeholder, DISCORD_LIMITS.textInputPlaceholder);
      errors.maxLength([...p, "value"], input.value, 4000);
    }
  });
}

export function validateChoices(data: JsonObject, errors: FormErrors): void {
  const choices = data.choices;
  if (!Array.isArray(choices)) {
    errors.add(["data", "choices"], "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  errors.maxItems(["data", "choices"], choices, DISCORD_LIMITS.autocompleteChoices);
  choices.forEach((c, i) => {
    if (!isObject(c)) return;
    errors.range(["data", "choices", i, "name"], c.name, 1, DISCORD_LIMITS.choiceName);
    if (typeof c.value === "string")
      errors.maxLength(["data", "choices", i, "value"], c.value, DISCORD_LIMITS.choiceValue);
  });
}

const NAME_RE = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateCommandOptions(options: unknown, path: (string | number)[], errors: FormErrors): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) {
    errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.");
    return;
  }
  errors.maxItems(path, options, DISCORD_LIMITS.commandOptions);
  const seen = new Set<string>();
  let sawOptional = false;
  options.forEach((o, i) => {
    if (!isObject(o)) return;
    const p = [...path, i];
    if (typeof o.name !== "string" || !NAME_RE.test(o.name) || o.name !== o.name.toLowerCase()) {
      errors.add([...p, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
    } else if (seen.has(o.name)) {
      errors.add(
        [...p, "name"],
        "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
        "Option name already exists",
      );
    } else seen.add(o.name);
    errors.range([...p, "description"], o.description, 1, DISCORD_LIMITS.commandDescription);
    if (Array.isArray(o.choices)) {
      errors.maxItems([...p, "choices"], o.choices, 25);
      if (o.autocomplete === true) {
        errors.add([...p, "autocomplete"], "AUTOCOMPLETE_CHOICES", "Autocomplete cannot be set with choices");
      }
    }
    const isSub = o.type === 1 || o.type === 2;
    if (isSub) validateCommandOptions(o.options, [...p, "options"], errors);
    else if (o.required === true && sawOptional) {
      errors.add(
        [...p, "required"],
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        "Required options must be placed before non-required options",
      );
    } else if (o.required !== true) sawOptional = true;
  });
}

export function validateCommand(cmd: unknown, index: number, errors: FormErrors): void {
  if (!isObject(cmd)) {
    errors.add([index], "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
    return;
  }
  const type = cmd.type ?? 1;
  if (
    typeof cmd.name !== "string" ||
    (type === 1 && (!NAME_RE.test(cmd.name) || cmd.name !== cmd.name.toLowerCase()))
  ) {
    errors.add([index, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
  }
  if (type === 1) {
    errors.range([index, "description"], cmd.description, 1, DISCORD_LIMITS.commandDescription);
    validateCommandOptions(cmd.options, [index, "options"], errors);
  }
}
