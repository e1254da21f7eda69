/** What one node makes of the selected test image: one tile per channel. */
import { useMemo } from 'react';
import type { FeatureMapsReply } from '../../worker/protocol';
import { channelTiles } from './draw';
import { TileCanvas } from './TileCanvas';

export function FeatureMaps({ reply }: { reply: FeatureMapsReply }) {
  const tiles = useMemo(() => {
    const { values, height, width, channels, complex } = reply;
    // A vector is shown as one strip rather than C one-pixel tiles.
    if (height === 1 && width === 1)
      return { data: values.slice(0, Math.min(channels, 512)), h: 1, w: Math.min(channels, 512), count: 1 };
    return channelTiles(values, height, width, channels, complex);
  }, [reply]);
  const signed = useMemo(() => reply.values.some((v) => v < 0) && !reply.complex, [reply]);
  const shape = `[${reply.height}, ${reply.width}, ${reply.channels}]`;
  const what = reply.complex
    ? 'modulus of each complex channel'
    : signed
      ? 'blue negative, orange positive'
      : 'bright = strong';
  return (
    <div className="feature-maps" data-testid="feature-maps">
      <h4>
        {reply.nodeId}.{reply.port} for test image #{reply.index}{' '}
        <span className="muted">
          {shape}, {what}
          {tiles.count < (reply.complex ? reply.channels / 2 : reply.channels) && tiles.h > 1
            ? `, first ${tiles.count} channels`
            : ''}
        </span>
      </h4>
      {tiles.h === 1 ? (
        <TileCanvas
          tiles={tiles}
          mode={signed ? 'signed' : 'magnitude'}
          caption={`${tiles.w} values, left to right`}
          cols={1}
          size={{ width: Math.min(620, tiles.w * 14), height: 28 }}
        />
      ) : (
        <TileCanvas tiles={tiles} mode={signed ? 'signed' : 'magnitude'} caption="one tile per channel" />
      )}
    </div>
  );
}
