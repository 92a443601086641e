// Policy rule `tokens-over-https`: where bearer tokens are required, every Ingress serves HTTPS and HTTP only
// redirects.
import { type Rule, ref, type Violation } from './types';

const ALB = 'alb.ingress.kubernetes.io/';

/**
 * Where the API requires bearer tokens, no load balancer serves it over plain HTTP: every Ingress has a
 * certificate, and when it also listens on HTTP, that listener only redirects to HTTPS.
 */
export const tokensOverHttps: Rule = {
  id: 'tokens-over-https',
  description: 'With auth.required, every Ingress terminates TLS and plain HTTP only redirects to HTTPS',
  check({ objects, environment }) {
    if (!environment?.auth.required) return [];
    const out: Violation[] = [];
    for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
      const a = (ingress.metadata.annotations ?? {}) as Record<string, string>;
      const listensHttp = (a[`${ALB}listen-ports`] ?? '[{"HTTP":80}]').includes('"HTTP"');
      let message: string | undefined;
      if (a[`${ALB}certificate-arn`] === undefined) {
        message = 'serves plain HTTP only, but auth.required sends bearer tokens with every request';
      } else if (listensHttp && a[`${ALB}ssl-redirect`] === undefined) {
        message = 'serves the API on plain HTTP besides HTTPS, but auth.required sends bearer tokens';
      }
      if (message) {
        out.push({ rule: 'tokens-over-https', object: ref(ingress), message, key: 'ingress.certificateArn' });
      }
    }
    return out;
  },
};
