// Underwriting's reasons in Spanish. The API gives a decision's reasons as the English sentences
// of salesportal.domain.underwriting (a reviewer's own words as written); each known sentence is
// said here in Spanish, keyed by that English. reasons.test.ts fails when underwriting has a
// sentence this file lacks.
export const reasonsEs: Record<string, string> = {
  "Tobacco use increases the risk we would cover.": "El consumo de tabaco aumenta el riesgo que cubriríamos.",
  "Your driving record shows minor violations.": "Su historial de manejo muestra infracciones menores.",
  "Your driving record shows major violations.": "Su historial de manejo muestra infracciones graves.",
  "We could not verify your identity with the details given.":
    "No pudimos verificar su identidad con los datos proporcionados.",
  "The Social Security number did not match the other details given.":
    "El número de Seguro Social no coincide con los demás datos proporcionados.",
  "You told us you were admitted to hospital in the last five years.":
    "Nos informó que tuvo una hospitalización en los últimos cinco años.",
  "You told us you have a long-term (chronic) medical condition.":
    "Nos informó que tiene una afección médica crónica (de largo plazo).",
  "You told us you take part in hazardous activities.": "Nos informó que participa en actividades peligrosas.",
  "You told us another insurer has declined to cover you before.":
    "Nos informó que otra aseguradora le negó cobertura anteriormente.",
  "One of your answers to the health and history questions affects the cover we can offer.":
    "Una de sus respuestas a las preguntas de salud e historial afecta la cobertura que podemos ofrecer.",
  "The risk assessment did not meet this product's underwriting guidelines.":
    "La evaluación de riesgo no cumplió con las pautas de suscripción de este producto.",
  "An underwriter will review your application and write to you with the decision.":
    "Un suscriptor revisará su solicitud y le escribirá con la decisión.",
};

// An approval's loading, written with its percentage.
export const LOADING_REASON = /^Approved with a (\d+(?:\.\d+)?)% risk loading\.$/;
export const loadingReasonEs = (percent: string) => `Aprobada con un recargo por riesgo del ${percent} %.`;
