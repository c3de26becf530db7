// The assistant's question as the API states it (AiQueryRequest): 3 to 2000 characters once
// trimmed, and an optional customer id of letters, digits and dashes.
export const QUESTION_MIN = 3;
export const QUESTION_MAX = 2000;
const CUSTOMER_ID = /^[A-Za-z0-9-]{1,64}$/;

export type QuestionProblem = "tooShort" | "tooLong" | "customerFormat";

export function checkQuestion(
  question: string,
  customerId: string,
): Partial<Record<"question" | "customerId", QuestionProblem>> {
  const problems: Partial<Record<"question" | "customerId", QuestionProblem>> = {};
  const length = [...question.trim()].length;
  if (length < QUESTION_MIN) problems.question = "tooShort";
  else if (length > QUESTION_MAX) problems.question = "tooLong";
  const customer = customerId.trim();
  if (customer && !CUSTOMER_ID.test(customer)) problems.customerId = "customerFormat";
  return problems;
}
