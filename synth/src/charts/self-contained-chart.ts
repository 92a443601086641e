import { ApiObject, Chart } from 'cdk8s';

/**
 * A chart whose objects never depend on other charts. `Chart.toJson()` in cdk8s resolves dependencies and
 * validates the whole App on every call, which makes rendering N environments O(N²); this chart validates
 * and synthesizes only its own subtree, so each environment costs the same however many there are.
 */
export class SelfContainedChart extends Chart {
  private synthesized?: { readonly nodes: number; readonly objects: unknown[] };

  /**
   * The chart's Kubernetes objects as JSON, in construct order. Memoized while the construct tree is
   * unchanged (the registry's Argo CD chart and the render both read it); callers must not mutate the result.
   */
  override toJson(): unknown[] {
    const nodes = this.node.findAll();
    if (this.synthesized?.nodes === nodes.length) return [...this.synthesized.objects];
    const errors = nodes.flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
    if (errors.length > 0)
      throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    const objects = nodes
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === this)
      .map((o) => o.toJson());
    this.synthesized = { nodes: nodes.length, objects };
    return [...objects];
  }
}
