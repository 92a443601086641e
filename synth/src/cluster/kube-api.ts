/**
 * The one door to `@kubernetes/client-node`: every value and type synth uses from the Kubernetes client. The CLI's
 * build bundles the client on its own from this file (build/synth-kube.cjs, only these exports), and the main
 * bundle loads that file when a command first reaches a cluster (synth/scripts/build.mjs, kube-client.cjs).
 */
export type {
  Cluster,
  ConfigurationOptions,
  Context,
  RequestContext,
  ResponseContext,
  User,
  V1Deployment,
  V1LabelSelector,
  V1Pod,
} from '@kubernetes/client-node';
export {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  Watch,
} from '@kubernetes/client-node';
