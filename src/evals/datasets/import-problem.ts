/** What an importer could not take as it was: reported to the user, never silently dropped. */
export interface ImportProblem {
  kind:
    | 'bad_line'
    | 'duplicate_id'
    | 'unknown_query'
    | 'unknown_document'
    | 'answer_offset_mismatch'
    | 'answer_not_in_document';
  message: string;
  /** 1-based line of the input file, when the problem is one line. */
  line?: number;
  /** The query, case or document id concerned. */
  id?: string;
}
