/**
 * English function words and question words. Longer than a search engine's stop list on purpose:
 * matching a question against sentences should weigh what the question is about ("transmission",
 * "children"), not how it is asked ("what", "does", "which").
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'a', 'about', 'above', 'after', 'again', 'against', 'all', 'also', 'am', 'an', 'and', 'any', 'are',
  'as', 'at', 'be', 'because', 'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by',
  'can', 'could', 'did', 'do', 'does', 'doing', 'done', 'down', 'during', 'each', 'either', 'else',
  'ever', 'few', 'for', 'from', 'further', 'had', 'has', 'have', 'having', 'he', 'her', 'here',
  'hers', 'herself', 'him', 'himself', 'his', 'how', 'however', 'i', 'if', 'in', 'into', 'is', 'it',
  'its', 'itself', 'just', 'let', 'may', 'me', 'might', 'more', 'most', 'much', 'must', 'my',
  'myself', 'neither', 'no', 'nor', 'not', 'now', 'of', 'off', 'on', 'once', 'one', 'only', 'or',
  'other', 'ought', 'our', 'ours', 'ourselves', 'out', 'over', 'own', 'per', 'please', 'same',
  'shall', 'she', 'should', 'so', 'some', 'such', 'than', 'that', 'the', 'their', 'theirs', 'them',
  'themselves', 'then', 'there', 'these', 'they', 'this', 'those', 'through', 'thus', 'to', 'too',
  'under', 'until', 'up', 'upon', 'us', 'very', 'via', 'was', 'we', 'were', 'what', 'whatever',
  'when', 'where', 'whether', 'which', 'while', 'who', 'whom', 'whose', 'why', 'will', 'with',
  'within', 'without', 'would', 'yet', 'you', 'your', 'yours', 'yourself', 'yourselves',
  // How questions are asked, not what they ask about.
  'describe', 'explain', 'tell', 'know', 'known', 'give', 'list', 'name', 'mean', 'meant', 'kind',
  'kinds', 'type', 'types', 'way', 'ways',
]);
