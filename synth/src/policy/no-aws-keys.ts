// Policy rule `no-aws-keys`: no static AWS credentials in env vars, ConfigMaps or Secrets.
import { containersOf, podTemplates } from './pods';
import { type Rule, ref, type Violation } from './types';

const KEY_NAMES =
  /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_SECRET_KEY|AWS_ACCESS_KEY)$/i;
const KEY_VALUE = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;

/** No static AWS credentials in container env vars, ConfigMaps or Secrets: pods get a role (IRSA / Pod Identity). */
export const noAwsKeys: Rule = {
  id: 'no-aws-keys',
  description: 'No AWS access keys in env vars, ConfigMaps or rendered Secrets; use aws.roleArn',
  check({ objects }) {
    const out: Violation[] = [];
    const add = (object: string, message: string) =>
      out.push({ rule: 'no-aws-keys', object, message, key: 'aws.roleArn' });
    for (const pod of podTemplates(objects)) {
      for (const c of containersOf(pod)) {
        for (const e of c.env ?? []) {
          if (KEY_NAMES.test(e.name))
            add(ref(pod.owner), `container "${c.name}" sets env var ${e.name} (static AWS credentials)`);
          else if (KEY_VALUE.test(e.value ?? '')) {
            add(ref(pod.owner), `container "${c.name}" env var ${e.name} holds an AWS access key id`);
          }
        }
      }
    }
    for (const obj of objects) {
      if (obj.kind !== 'ConfigMap' && obj.kind !== 'Secret') continue;
      const data = { ...(obj.data as Record<string, string>), ...(obj.stringData as Record<string, string>) };
      for (const [k, v] of Object.entries(data)) {
        if (KEY_NAMES.test(k)) add(ref(obj), `key ${k} holds static AWS credentials`);
        else if (KEY_VALUE.test(String(v))) add(ref(obj), `key ${k} holds an AWS access key id`);
      }
    }
    return out;
  },
};
