/** "1 key result", "3 key results"; `many` for irregular plurals ("1 person", "2 people"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A unit as the plan writes it (plural: "implementations", "communities") made to agree with the
 * number it follows: "1 implementation", "0 communities", "1.5 regions". Units that are not plain
 * English plurals (`%`, `km`, "staff") are left as they are.
 */
export function unitFor(n: number, unit: string): string {
  if (n !== 1 || !/^[a-z][a-z-]*s$/i.test(unit) || /ss$/i.test(unit)) return unit;
  if (/[^aeiou]ies$/i.test(unit)) return `${unit.slice(0, -3)}y`;
  if (/(ches|shes|xes|sses|zes)$/i.test(unit)) return unit.slice(0, -2);
  return unit.slice(0, -1);
}
