/** A chart to render and attach after the reply is out: one KR's progress, or an objective's KRs. */
export interface ChartRequest {
  kind: "kr" | "objective";
  code: string;
}

/** A file that goes with a reply (a CSV export, a chart). */
export interface ReplyFile {
  name: string;
  contentType: string;
  bytes: Uint8Array;
  title?: string;
}
