import type { ProcessorSupplier } from '../api/processor.ts';
import { TopologyError } from '../api/errors.ts';
import type { GlobalStoreDefinition, NodeDefinition, TopologyDefinition } from '../topology.ts';

/** A connected part of the topology: one task per partition of its source topics. */
export interface Subtopology {
  readonly id: number;
  /** In topological order: every node comes after its parents. */
  readonly nodes: readonly NodeDefinition[];
  readonly sourceTopics: readonly string[];
  readonly sinkTopics: readonly string[];
  readonly storeNames: readonly string[];
  /** Children of each node, in the order they were added (the order `forward` visits them). */
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Stores each processor may read and write. */
  readonly nodeStores: ReadonlyMap<string, readonly string[]>;
}

export interface CompiledTopology {
  readonly definition: TopologyDefinition;
  readonly subtopologies: readonly Subtopology[];
  readonly globalStores: readonly GlobalStoreDefinition[];
  /** Every (non-global) source topic, for subscribing. */
  readonly sourceTopics: readonly string[];
  /** Internal (repartition) topics, by their full name: the runtime creates them. */
  readonly internalTopics: readonly string[];
}

/**
 * The definition with its internal topics named `<applicationId>-<topic>`, as Kafka Streams
 * names repartition topics; without an application id (describe()) they keep their short names.
 */
function withApplicationId(def: TopologyDefinition, applicationId: string | undefined): TopologyDefinition {
  if (applicationId === undefined || def.internalTopics.size === 0) return def;
  const full = (t: string) => (def.internalTopics.has(t) ? `${applicationId}-${t}` : t);
  const nodes = new Map<string, NodeDefinition>();
  for (const [name, node] of def.nodes) {
    if (node.kind === 'source') nodes.set(name, { ...node, options: { ...node.options, topics: node.options.topics.map(full) } });
    else if (node.kind === 'sink') nodes.set(name, { ...node, options: { ...node.options, topic: full(node.options.topic) } });
    else nodes.set(name, node);
  }
  return { ...def, nodes, internalTopics: new Set([...def.internalTopics].map(full)) };
}

function parentsOf(node: NodeDefinition): readonly string[] {
  return node.kind === 'source' ? [] : node.parents;
}

/** Checks the whole graph and cuts it into sub-topologies; throws `TopologyError` naming the fault. */
export function compileTopology(raw: TopologyDefinition, options: { applicationId?: string } = {}): CompiledTopology {
  const def = withApplicationId(raw, options.applicationId);
  const { nodes, stores, globalStores } = def;
  if (nodes.size === 0 && globalStores.size === 0) throw new TopologyError('The topology has no nodes: add a source first');

  const children = new Map<string, string[]>([...nodes.keys()].map((n) => [n, []]));
  for (const node of nodes.values()) {
    for (const parent of parentsOf(node)) {
      const p = nodes.get(parent);
      if (!p) throw new TopologyError(`Node "${node.name}" names an unknown parent "${parent}"`);
      if (p.kind === 'sink') throw new TopologyError(`Sink "${parent}" cannot be the parent of "${node.name}": sinks have no children`);
      children.get(parent)!.push(node.name);
    }
  }
  checkAcyclic(nodes, children);

  const nodeStores = new Map<string, string[]>();
  for (const [storeName, store] of stores) {
    if (store.processors.size === 0) {
      throw new TopologyError(`State store "${storeName}" is not connected to any processor: name it in addStateStore or process()`);
    }
    for (const p of store.processors) {
      const node = nodes.get(p);
      if (!node) throw new TopologyError(`State store "${storeName}" is connected to an unknown processor "${p}"`);
      if (node.kind !== 'processor') throw new TopologyError(`State store "${storeName}" can only be connected to processors, not ${node.kind} "${p}"`);
      nodeStores.set(p, [...(nodeStores.get(p) ?? []), storeName]);
    }
  }

  const topicOwner = new Map<string, string>();
  for (const node of nodes.values()) {
    if (node.kind !== 'source') continue;
    for (const topic of node.options.topics) {
      const owner = topicOwner.get(topic);
      if (owner) throw new TopologyError(`Topic "${topic}" is read by both "${owner}" and "${node.name}": a topic can have one source`);
      topicOwner.set(topic, node.name);
    }
  }
  for (const g of globalStores.values()) {
    const owner = topicOwner.get(g.options.topic);
    if (owner) throw new TopologyError(`Topic "${g.options.topic}" of global store "${g.builder.name}" is also read by source "${owner}"`);
  }

  const subtopologies = cutSubtopologies(def, children, nodeStores);
  return {
    definition: def, subtopologies, globalStores: [...globalStores.values()], sourceTopics: [...topicOwner.keys()],
    internalTopics: [...def.internalTopics],
  };
}

function checkAcyclic(nodes: ReadonlyMap<string, NodeDefinition>, children: ReadonlyMap<string, readonly string[]>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new TopologyError(`The topology has a cycle: ${[...path, name].join(' -> ')}`);
    state.set(name, 'visiting');
    for (const child of children.get(name) ?? []) visit(child, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of nodes.keys()) visit(name, []);
}

function cutSubtopologies(
  def: TopologyDefinition,
  children: ReadonlyMap<string, readonly string[]>,
  nodeStores: ReadonlyMap<string, readonly string[]>,
): Subtopology[] {
  // Union-find: nodes joined by an edge or by a shared store belong to one sub-topology.
  const root = new Map<string, string>([...def.nodes.keys()].map((n) => [n, n]));
  const find = (n: string): string => {
    let r = n;
    while (root.get(r) !== r) r = root.get(r)!;
    root.set(n, r);
    return r;
  };
  const union = (a: string, b: string) => root.set(find(a), find(b));
  for (const node of def.nodes.values()) for (const p of parentsOf(node)) union(node.name, p);
  for (const store of def.stores.values()) {
    const [first, ...rest] = [...store.processors];
    for (const p of rest) union(first!, p);
  }

  const groups = new Map<string, NodeDefinition[]>();
  for (const node of def.nodes.values()) {
    const r = find(node.name);
    groups.set(r, [...(groups.get(r) ?? []), node]);
  }
  return [...groups.values()].map((members, id) => {
    const ordered = topologicalOrder(members, children);
    const names = new Set(members.map((m) => m.name));
    const storeNames = [...def.stores.keys()].filter((s) => [...def.stores.get(s)!.processors].some((p) => names.has(p)));
    return {
      id,
      nodes: ordered,
      sourceTopics: members.flatMap((m) => (m.kind === 'source' ? m.options.topics : [])),
      sinkTopics: members.flatMap((m) => (m.kind === 'sink' ? [m.options.topic] : [])),
      storeNames,
      children: new Map(members.map((m) => [m.name, children.get(m.name) ?? []])),
      nodeStores: new Map(members.filter((m) => nodeStores.has(m.name)).map((m) => [m.name, nodeStores.get(m.name)!])),
    };
  });
}

function topologicalOrder(members: readonly NodeDefinition[], children: ReadonlyMap<string, readonly string[]>): NodeDefinition[] {
  const byName = new Map(members.map((m) => [m.name, m]));
  const pending = new Map(members.map((m) => [m.name, parentsOf(m).length]));
  const order: NodeDefinition[] = [];
  const ready = members.filter((m) => parentsOf(m).length === 0).map((m) => m.name);
  for (let name = ready.shift(); name !== undefined; name = ready.shift()) {
    order.push(byName.get(name)!);
    for (const c of children.get(name) ?? []) {
      const left = pending.get(c)! - 1;
      pending.set(c, left);
      if (left === 0) ready.push(c);
    }
  }
  return order;
}

/** A global store runs as its own one-source sub-topology, on every instance. */
export function globalSubtopology(g: GlobalStoreDefinition, id: number): Subtopology {
  const source: NodeDefinition = {
    kind: 'source', name: g.sourceName,
    options: { topics: [g.options.topic], keySerde: g.options.keySerde, valueSerde: g.options.valueSerde },
  };
  const processor: NodeDefinition = {
    kind: 'processor', name: g.processorName, supplier: g.options.processor as ProcessorSupplier, parents: [g.sourceName],
  };
  return {
    id,
    nodes: [source, processor],
    sourceTopics: [g.options.topic],
    sinkTopics: [],
    storeNames: [g.builder.name],
    children: new Map([[g.sourceName, [g.processorName]], [g.processorName, []]]),
    nodeStores: new Map([[g.processorName, [g.builder.name]]]),
  };
}
