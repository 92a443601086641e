// Converts an environment file's CPU and memory quantities into cdk8s-plus container resources.
import { Size } from 'cdk8s';
import { type ContainerResources, Cpu } from 'cdk8s-plus-28';
import type { EnvironmentConfig } from '../config';

/** CPU as written in an environment file (`250m` or `0.5`) as cdk8s-plus' `Cpu`, which renders it unchanged. */
export function cpu(quantity: string): Cpu {
  return quantity.endsWith('m') ? Cpu.millis(Number(quantity.slice(0, -1))) : Cpu.units(Number(quantity));
}

/** Memory as written in an environment file (`128Mi` or `1Gi`) as cdk8s-plus' `Size` (rendered in Mi). */
export function memory(quantity: string): Size {
  const amount = Number(quantity.slice(0, -2));
  return quantity.endsWith('Gi') ? Size.gibibytes(amount) : Size.mebibytes(amount);
}

/** An environment's requests and limits as cdk8s-plus container resources (the schema allows only these forms). */
export function containerResources(resources: EnvironmentConfig['resources']): ContainerResources {
  const { requests, limits } = resources;
  return {
    cpu: { request: cpu(requests.cpu), ...(limits.cpu !== undefined && { limit: cpu(limits.cpu) }) },
    memory: { request: memory(requests.memory), limit: memory(limits.memory) },
  };
}
