/** confusion[true][predicted] on the test set, shaded by the share of each true class. */
export function ConfusionMatrix({ confusion, classNames }: { confusion: number[][]; classNames: string[] }) {
  const short = (n: string) => (n.length > 9 ? `${n.slice(0, 8)}…` : n);
  return (
    <table className="confusion" data-testid="confusion-matrix">
      <thead>
        <tr>
          <th className="corner">true ↓ / predicted →</th>
          {classNames.map((n, j) => (
            <th key={j} title={n}>
              {j}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {confusion.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0) || 1;
          return (
            <tr key={i}>
              <th title={classNames[i]}>
                {i} {short(classNames[i] ?? '')}
              </th>
              {row.map((v, j) => {
                const share = v / total;
                const color =
                  i === j ? `rgba(127, 212, 138, ${share})` : `rgba(255, 93, 108, ${Math.min(1, share * 2)})`;
                return (
                  <td
                    key={j}
                    style={{ background: color }}
                    title={`${classNames[i]} predicted as ${classNames[j]}: ${v}`}
                  >
                    {v || ''}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
