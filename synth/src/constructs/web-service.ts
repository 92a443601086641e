// The WebService construct: a stateless HTTP service (ServiceAccount, ConfigMap, Deployment, Service, HPA or
// fixed replicas, PDB, NetworkPolicy).
import { createHash } from 'node:crypto';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DefaultDenyNetworkPolicy, type NetworkPeer } from './network-policy';
import { PodDisruptionBudget } from './pod-disruption-budget';

/** Autoscaling of a web service; when given, the HPA owns the replica count. */
export interface WebServiceAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCPUUtilizationPercentage: number;
}

/** A Secret mounted read-only as files. */
export interface SecretFiles {
  readonly secretName: string;
  readonly mountPath: string;
}

/** Props of a web service. */
export interface WebServiceProps {
  /** Name of every object and the value of the `app` pod label. */
  readonly name: string;
  /** Image reference (`repo:tag` or `repo:tag@sha256:...`). */
  readonly image: string;
  /**
   * Container port (named `http`).
   * @default 8080
   */
  readonly port?: number;
  /**
   * Container port (named `metrics`) that serves `/metrics`; it is on no Service, so no load balancer reaches it.
   * @default - no metrics port
   */
  readonly metricsPort?: number;
  /**
   * Who may scrape the metrics port.
   * @default [] (nobody)
   */
  readonly metricsFrom?: readonly NetworkPeer[];
  /**
   * Labels added to the pods (not to the selector, which is `app: <name>` and never changes).
   * @default {}
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Service port.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * Environment variables, stored in a ConfigMap (a change rolls the pods through a checksum annotation).
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Fixed replica count, used only without autoscaling.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Horizontal autoscaling on CPU.
   * @default - no HPA; `replicas` pods
   */
  readonly autoscaling?: WebServiceAutoscaling;
  /**
   * Requests and limits.
   * @default - requests 100m CPU and 128Mi memory, limit 256Mi memory
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Liveness (and startup) probe path.
   * @default '/healthz'
   */
  readonly livenessPath?: string;
  /**
   * Readiness probe path.
   * @default '/readyz'
   */
  readonly readinessPath?: string;
  /**
   * Seconds the preStop hook waits so load balancers stop sending traffic before SIGTERM.
   * @default 5
   */
  readonly preStopSeconds?: number;
  /**
   * terminationGracePeriodSeconds; must exceed preStop plus the app's drain and in-flight timeout.
   * @default preStopSeconds + 25
   */
  readonly gracePeriodSeconds?: number;
  /**
   * Require spreading across zones (whenUnsatisfiable: DoNotSchedule) instead of preferring it.
   * @default false
   */
  readonly requireZoneSpread?: boolean;
  /**
   * Ephemeral storage the container requests (logs and the /tmp emptyDir count against the node's disk);
   * cdk8s-plus renders it in whole Gi.
   * @default 1Gi
   */
  readonly ephemeralStorageRequest?: Size;
  /**
   * Seconds a new pod must be ready before it counts as available.
   * @default 10
   */
  readonly minReadySeconds?: number;
  /**
   * Annotations of the ServiceAccount (e.g. the IRSA role).
   * @default {}
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /**
   * Secrets mounted as files.
   * @default []
   */
  readonly secretFiles?: readonly SecretFiles[];
  /**
   * Who may connect to the container port.
   * @default - pods of the same namespace only (see DefaultDenyNetworkPolicy)
   */
  readonly ingressFrom?: readonly NetworkPeer[];
  /**
   * Extra egress rules (NetworkPolicy shape), e.g. the EKS Pod Identity agent.
   * @default []
   */
  readonly extraEgress?: readonly Readonly<Record<string, unknown>>[];
  /**
   * Numeric user and group the container runs as.
   * @default 10001
   */
  readonly runAsUser?: number;
}

/** A stateless HTTP service: ServiceAccount, ConfigMap, Deployment, Service, HPA or fixed replicas, PDB, NetworkPolicy. */
export class WebService extends Construct {
  /** The Deployment. */
  readonly deployment: kplus.Deployment;
  /** The Service. */
  readonly service: kplus.Service;
  /** Pod labels (also the selector of the Service, PDB and NetworkPolicy). */
  readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    const port = props.port ?? 8080;
    const preStop = props.preStopSeconds ?? 5;
    const user = props.runAsUser ?? 10001;
    const env = props.env ?? {};
    const labels = { app: props.name };
    this.podLabels = labels;

    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: props.name, annotations: { ...props.serviceAccountAnnotations } },
      // The AWS SDK reads the projected web identity token; the pod never talks to the Kubernetes API.
      automountToken: false,
    });
    const configMap = new kplus.ConfigMap(this, 'config', {
      metadata: { name: props.name },
      data: { ...env },
    });
    const checksum = createHash('sha256')
      .update(JSON.stringify(sortedEntries(env)))
      .digest('hex');

    const probe = (path: string, period: number, failures: number) =>
      kplus.Probe.fromHttpGet(path, {
        port,
        periodSeconds: Duration.seconds(period),
        timeoutSeconds: Duration.seconds(2),
        failureThreshold: failures,
      });
    const liveness = props.livenessPath ?? '/healthz';
    const resources = props.resources ?? {
      cpu: { request: kplus.Cpu.millis(100) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
    };
    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: props.name },
      select: false,
      podMetadata: {
        labels: { ...props.podLabels, ...labels },
        annotations: { 'checksum/config': checksum },
      },
      replicas: props.autoscaling ? undefined : (props.replicas ?? 2),
      minReady: Duration.seconds(props.minReadySeconds ?? 10),
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      serviceAccount,
      automountServiceAccountToken: false,
      terminationGracePeriod: Duration.seconds(props.gracePeriodSeconds ?? preStop + 25),
      securityContext: {
        ensureNonRoot: true,
        user,
        group: user,
        fsGroup: user,
        // The volumes are small and written only by this user: skip the recursive chown on every start.
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
      containers: [
        {
          name: props.name,
          image: props.image,
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          resources: {
            ...resources,
            ephemeralStorage: { request: props.ephemeralStorageRequest ?? Size.gibibytes(1) },
          },
          ports: [
            { number: port, name: 'http' },
            ...(props.metricsPort !== undefined ? [{ number: props.metricsPort, name: 'metrics' }] : []),
          ],
          envFrom: [kplus.Env.fromConfigMap(configMap)],
          liveness: probe(liveness, 10, 3),
          readiness: probe(props.readinessPath ?? '/readyz', 5, 2),
          startup: probe(liveness, 2, 30),
          lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', String(preStop)]) },
          securityContext: {
            ensureNonRoot: true,
            user,
            group: user,
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
        },
      ],
    });
    deployment.select(kplus.LabelSelector.of({ labels }));
    const container = deployment.containers[0] as kplus.Container;
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
    for (const [i, s] of (props.secretFiles ?? []).entries()) {
      const secret = kplus.Secret.fromSecretName(this, `secret-${i}`, s.secretName);
      container.mount(s.mountPath, kplus.Volume.fromSecret(this, `secret-volume-${i}`, secret), {
        readOnly: true,
      });
    }
    const spread = (key: string, required: boolean) => ({
      maxSkew: 1,
      topologyKey: key,
      // Required only where asked (enough replicas to lose a zone); otherwise a zone outage must not leave
      // pods unschedulable.
      whenUnsatisfiable: required ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...labels } },
      // Spread each ReplicaSet on its own, so a rollout's new pods are spread too.
      matchLabelKeys: ['pod-template-hash'],
    });
    ApiObject.of(deployment).addJsonPatch(
      // plus labels every pod template with its construct address (Pod.ADDRESS_LABEL) even with `select: false`;
      // the selector above uses the `app` label, so the address would only churn the pods when code moves.
      JsonPatch.remove(`/spec/template/metadata/labels/${pointerEscape(kplus.Pod.ADDRESS_LABEL)}`),
      // plus' PodSecurityContext has no seccompProfile (only the container's has); these two have no plus API.
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
        spread('topology.kubernetes.io/zone', props.requireZoneSpread ?? false),
        spread('kubernetes.io/hostname', false),
      ]),
      // No Docker-link variables of every Service in the namespace (names could clash with the app's own).
      JsonPatch.add('/spec/template/spec/enableServiceLinks', false),
    );
    this.deployment = deployment;

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: props.name },
      ports: [{ name: 'http', port: props.servicePort ?? 80, targetPort: port }],
    });
    for (const [k, v] of Object.entries(labels)) this.service.selectLabel(k, v);
    ApiObject.of(this.service).addJsonPatch(JsonPatch.remove('/spec/externalIPs'));

    if (props.autoscaling) {
      new kplus.HorizontalPodAutoscaler(this, 'hpa', {
        metadata: { name: props.name },
        target: deployment,
        minReplicas: props.autoscaling.minReplicas,
        maxReplicas: props.autoscaling.maxReplicas,
        metrics: [
          kplus.Metric.resourceCpu(
            kplus.MetricTarget.averageUtilization(props.autoscaling.targetCPUUtilizationPercentage),
          ),
        ],
      });
    }
    new PodDisruptionBudget(this, 'pdb', { name: props.name, matchLabels: labels });
    new DefaultDenyNetworkPolicy(this, 'network-policy', {
      name: props.name,
      podLabels: labels,
      port,
      ...(props.ingressFrom ? { ingressFrom: props.ingressFrom } : {}),
      ...(props.metricsPort !== undefined && {
        metricsPort: props.metricsPort,
        metricsFrom: props.metricsFrom ?? [],
      }),
      ...(props.extraEgress ? { extraEgress: props.extraEgress } : {}),
    });
  }
}

/** A key as a JSON Pointer segment (RFC 6901: `~` is `~0`, `/` is `~1`). */
function pointerEscape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
