const FIRST = [
  'Dana',
  'Avi',
  'Noa',
  'Yael',
  'Omer',
  'Tamar',
  'Itai',
  'Maya',
  'Lior',
  'Shira',
  'Eitan',
  'Roni',
];
const LAST = [
  'Levi',
  'Cohen',
  'Mizrahi',
  'Peretz',
  'Biton',
  'Dahan',
  'Avraham',
  'Friedman',
  'Katz',
  'Azoulay',
];

/** `count` valid, distinct sample guests (person ids 200000000 up), the same on every call. */
export function sampleGuests(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const firstname = FIRST[i % FIRST.length] as string;
    const surname = LAST[Math.floor(i / FIRST.length) % LAST.length] as string;
    return {
      id: String(200_000_000 + i),
      firstname,
      surname,
      quantity: 1 + (i % 4),
      phone: `05${String(10_000_000 + ((i * 7919) % 90_000_000)).padStart(8, '0')}`,
      email: `${firstname}.${surname}${i}@example.com`.toLowerCase(),
    };
  });
}
