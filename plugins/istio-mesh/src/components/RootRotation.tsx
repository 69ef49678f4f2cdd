import { InfoCard } from '@backstage/core-components';
import { MeshRootRotation } from '@istio-mesh/plugin-istio-mesh-common';
import Typography from '@material-ui/core/Typography';

const PHASE = {
  'trust-both': 'trust-both done',
  reissue: 'reissue done',
  mixed: 'a phase is under way',
};

/** Where a root rotation stands, and what to run next. */
export function RootRotation(props: {
  meshId: string;
  rotation: MeshRootRotation;
}) {
  const { meshId, rotation } = props;
  return (
    <InfoCard title={`Root rotation of ${meshId}: ${PHASE[rotation.phase]}`}>
      <Typography variant="body2" data-root-rotation={rotation.phase}>
        {rotation.next}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {rotation.members.map(m => `${m.cluster}: ${m.state}`).join(' · ')}
      </Typography>
    </InfoCard>
  );
}
