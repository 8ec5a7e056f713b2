/**
 * Counts the reliability tests collect (inputs tried, inputs that survived), printed as one table
 * after the run when BPNB_RELIABILITY_SUMMARY=1; docs/reliability.md records them.
 */
interface Row {
  area: string;
  tried: number;
  survived: number;
  note: string;
}

const rows: Row[] = [];

export const figures = {
  record(area: string, tried: number, survived: number, note = ''): void {
    rows.push({ area, tried, survived, note });
  },
  rows(): readonly Row[] {
    return rows;
  },
};

if (typeof after === 'function' && process.env.BPNB_RELIABILITY_SUMMARY) {
  after(() => {
    const lines = [
      '| area | tried | survived | note |',
      '| --- | ---: | ---: | --- |',
      ...rows.map((r) => `| ${r.area} | ${r.tried} | ${r.survived} | ${r.note} |`),
    ];
    console.log('\n' + lines.join('\n'));
  });
}
