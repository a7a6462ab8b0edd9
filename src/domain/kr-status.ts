/** A key result's reported health. `none` means nobody has said yet. */
export type KrStatus = "on_track" | "at_risk" | "off_track" | "done" | "none";
