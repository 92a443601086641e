import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';

/** Props of the guest list chart. */
export interface GuestlistChartProps {
  /** The environment to render. */
  readonly environment: EnvironmentConfig;
}

/** Everything the guest list service needs in one environment. */
export class GuestlistChart extends Chart {
  constructor(scope: Construct, id: string, props: GuestlistChartProps) {
    super(scope, id, { namespace: props.environment.namespace, disableResourceNameHashes: true });
  }
}
