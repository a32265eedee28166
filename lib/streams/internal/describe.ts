import type { CompiledTopology } from './compile.ts';

/** Renders a compiled topology in the shape of Kafka Streams' `TopologyDescription.toString()`. */
export function describeTopology(t: CompiledTopology): string {
  const lines = ['Topologies:'];
  for (const sub of t.subtopologies) {
    lines.push(`   Sub-topology: ${sub.id}`);
    for (const node of sub.nodes) {
      const kids = sub.children.get(node.name) ?? [];
      if (node.kind === 'source') lines.push(`    Source: ${node.name} (topics: [${node.options.topics.join(', ')}])`);
      if (node.kind === 'processor') lines.push(`    Processor: ${node.name} (stores: [${(sub.nodeStores.get(node.name) ?? []).join(', ')}])`);
      if (node.kind === 'sink') lines.push(`    Sink: ${node.name} (topic: ${node.options.topic})`);
      lines.push(`      --> ${kids.length ? kids.join(', ') : 'none'}`);
      if (node.kind !== 'source') lines.push(`      <-- ${node.parents.join(', ')}`);
    }
  }
  for (const g of t.globalStores) {
    lines.push(`   Global store: ${g.builder.name}`);
    lines.push(`    Source: ${g.sourceName} (topics: [${g.options.topic}])`);
    lines.push(`      --> ${g.processorName}`);
    lines.push(`    Processor: ${g.processorName} (stores: [${g.builder.name}])`);
    lines.push(`      <-- ${g.sourceName}`);
  }
  return lines.join('\n') + '\n';
}
