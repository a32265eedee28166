// Inverse link functions of PMML's GeneralRegressionModel (LINK-FUNCTION and
// CUMULATIVE-LINK-FUNCTION in the 4.3/4.4 schema): they map the linear predictor η to the mean μ.
// Formulas follow the PMML General Regression page and agree with JPMML-Evaluator's.
import { normalCdf } from './normal-cdf.ts';

export const LINK_FUNCTIONS = [
  'identity', 'log', 'logc', 'logit', 'probit', 'cloglog', 'loglog', 'power', 'oddspower', 'negbin',
] as const;
export type LinkFunction = (typeof LINK_FUNCTIONS)[number];

export const CUMULATIVE_LINKS = ['logit', 'probit', 'cloglog', 'loglog', 'cauchit'] as const;
export type CumulativeLink = (typeof CUMULATIVE_LINKS)[number];

export type InverseLink = (eta: number) => number;

export const inverseLogit: InverseLink = (eta) => 1 / (1 + Math.exp(-eta));
const inverseCloglog: InverseLink = (eta) => 1 - Math.exp(-Math.exp(eta));
const inverseLoglog: InverseLink = (eta) => Math.exp(-Math.exp(-eta));
const inverseCauchit: InverseLink = (eta) => 0.5 + (1 / Math.PI) * Math.atan(eta);

export interface LinkParameters {
  /** `linkParameter`, required by power and oddspower. */
  readonly linkParameter?: number | undefined;
  /** `distParameter`, required by negbin. */
  readonly distParameter?: number | undefined;
}

/** Thrown when a link needs a parameter that is absent; the caller names the attribute. */
export class MissingLinkParameterError extends Error {
  override readonly name = 'MissingLinkParameterError';
  constructor(readonly attribute: 'linkParameter' | 'distParameter', link: string) {
    super(`linkFunction="${link}" requires the attribute ${attribute}`);
  }
}

/** μ = g⁻¹(η) for a `linkFunction`. */
export function inverseLink(link: LinkFunction, params: LinkParameters = {}): InverseLink {
  switch (link) {
    case 'identity': return (eta) => eta;
    case 'log': return Math.exp;
    case 'logc': return (eta) => 1 - Math.exp(eta);
    case 'logit': return inverseLogit;
    case 'probit': return normalCdf;
    case 'cloglog': return inverseCloglog;
    case 'loglog': return inverseLoglog;
    case 'power': {
      const a = params.linkParameter;
      if (a === undefined) throw new MissingLinkParameterError('linkParameter', link);
      // η = μ^a, and the a = 0 case is the log link.
      if (a === 0) return Math.exp;
      const inv = 1 / a;
      return (eta) => Math.pow(eta, inv);
    }
    case 'oddspower': {
      const a = params.linkParameter;
      if (a === undefined) throw new MissingLinkParameterError('linkParameter', link);
      // η = ((μ/(1-μ))^a - 1)/a, and the a = 0 case is the logit link.
      if (a === 0) return inverseLogit;
      const e = -(1 / a);
      return (eta) => 1 / (1 + Math.pow(1 + a * eta, e));
    }
    case 'negbin': {
      const k = params.distParameter;
      if (k === undefined) throw new MissingLinkParameterError('distParameter', link);
      // η = ln(μ / (μ + 1/k)).
      return (eta) => 1 / (k * (Math.exp(-eta) - 1));
    }
  }
}

/** The cumulative distribution F of a `cumulativeLink`, P(Y ≤ k) = F(η_k). */
export function inverseCumulativeLink(link: CumulativeLink): InverseLink {
  switch (link) {
    case 'logit': return inverseLogit;
    case 'probit': return normalCdf;
    case 'cloglog': return inverseCloglog;
    case 'loglog': return inverseLoglog;
    case 'cauchit': return inverseCauchit;
  }
}
