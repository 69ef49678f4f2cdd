import { MeshView } from '@istio-mesh/plugin-istio-mesh-common';

const NODE_R = 28;
const GROUP_W = 220;
const GROUP_GAP = 60;
const ROW_H = 90;

/**
 * The mesh as a picture: clusters are nodes grouped in boxes by network; remote-secret
 * links are edges, and a link missing in either direction is drawn broken (dashed, red).
 */
export function Topology(props: { mesh: MeshView }) {
  const { mesh } = props;
  const networks = [
    ...new Set(mesh.members.map(m => m.network ?? '(no network)')),
  ].sort();
  const position = new Map<string, { x: number; y: number }>();
  networks.forEach((network, i) => {
    mesh.members
      .filter(m => (m.network ?? '(no network)') === network)
      .forEach((m, j) =>
        position.set(m.cluster, {
          x: 40 + i * (GROUP_W + GROUP_GAP) + GROUP_W / 2,
          y: 80 + j * ROW_H,
        }),
      );
  });
  const rows = Math.max(
    1,
    ...networks.map(
      n => mesh.members.filter(m => (m.network ?? '(no network)') === n).length,
    ),
  );
  const height = 60 + rows * ROW_H;
  const width = 40 + networks.length * (GROUP_W + GROUP_GAP);
  const pairs = mesh.members.flatMap((a, i) =>
    mesh.members.slice(i + 1).map(b => {
      const ab = mesh.links.find(
        l => l.from === a.cluster && l.to === b.cluster,
      );
      const ba = mesh.links.find(
        l => l.from === b.cluster && l.to === a.cluster,
      );
      return { a: a.cluster, b: b.cluster, ok: !!ab?.present && !!ba?.present };
    }),
  );
  return (
    <svg
      role="img"
      aria-label={`Topology of mesh ${mesh.meshId}`}
      data-testid="mesh-topology"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      {networks.map((network, i) => (
        <g key={network} data-network={network}>
          <rect
            x={40 + i * (GROUP_W + GROUP_GAP)}
            y={20}
            width={GROUP_W}
            height={height - 30}
            rx={12}
            fill="none"
            stroke="#9e9e9e"
            strokeDasharray="2 2"
          />
          <text
            x={50 + i * (GROUP_W + GROUP_GAP)}
            y={38}
            fontSize={12}
            fill="#757575"
          >
            {network}
          </text>
        </g>
      ))}
      {pairs.map(({ a, b, ok }) => {
        const p = position.get(a)!;
        const q = position.get(b)!;
        return (
          <line
            key={`${a}-${b}`}
            data-link={`${a}-${b}`}
            data-state={ok ? 'linked' : 'broken'}
            x1={p.x}
            y1={p.y}
            x2={q.x}
            y2={q.y}
            stroke={ok ? '#2e7d32' : '#d32f2f'}
            strokeWidth={ok ? 3 : 2}
            strokeDasharray={ok ? undefined : '8 6'}
          >
            <title>
              {ok
                ? `${a} and ${b} hold each other's remote secrets`
                : `remote secret missing between ${a} and ${b}`}
            </title>
          </line>
        );
      })}
      {mesh.members.map(m => {
        const p = position.get(m.cluster)!;
        return (
          <g key={m.cluster} data-cluster={m.cluster}>
            <circle
              cx={p.x}
              cy={p.y}
              r={NODE_R}
              fill={m.reachable ? '#1976d2' : '#9e9e9e'}
            />
            <text
              x={p.x}
              y={p.y + 4}
              fontSize={12}
              fill="#fff"
              textAnchor="middle"
            >
              {m.cluster}
            </text>
            <text
              x={p.x}
              y={p.y + NODE_R + 16}
              fontSize={11}
              fill="#616161"
              textAnchor="middle"
            >
              {m.gateway?.address
                ? `${m.gateway.address}:15443`
                : 'no gateway address'}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
