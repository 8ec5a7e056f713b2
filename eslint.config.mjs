// Lint rules. The pure layers (engine, language, runtime, protocol) may not import
// vscode, node: modules or touch the DOM; browser views may import only protocol.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'util',
  'events',
  'crypto',
  'http',
  'https',
  'net',
  'stream',
];
const pureRestrictions = {
  paths: [
    { name: 'vscode', message: 'Pure layers must not import vscode.' },
    ...nodeBuiltins.map((name) => ({ name, message: 'Pure layers must not import node modules.' })),
  ],
  patterns: [
    { group: ['node:*'], message: 'Pure layers must not import node: modules.' },
    {
      group: ['**/notebook/**', '**/panel/**', '**/views/**', '**/cli/**', '**/worker/**'],
      message: 'Pure layers import only pure layers.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'esbuild.js',
      'eslint.config.mjs',
      'media/**',
      // generated from kernels.wat (scripts/wasm/build.ts), as Prettier leaves it
      'src/engine/wasm/kernels.wasm.ts',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-eval': 'error',
      // 100 columns: two files side by side in a diff on a 1920-pixel screen. Prettier wraps code
      // there; this holds comments, strings, template literals and regexps to it too (a URL may
      // run longer).
      'max-len': ['error', { code: 100, ignoreUrls: true }],
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // the product's code (tests and scripts spread only their own fixed inputs)
    files: ['src/**'],
    rules: {
      // f(...xs) passes every element as an argument: V8 overflows its stack near 10⁵ of them
      // (Math.max(...xs), push(...xs)). Use a loop, or disable this line saying why it is bounded.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression > SpreadElement, NewExpression > SpreadElement',
          message:
            'No spread into a call: a long array overflows the stack. Loop instead, or add `// eslint-disable-next-line no-restricted-syntax -- bounded: <why>`.',
        },
      ],
    },
  },
  {
    files: ['src/engine/**', 'src/language/**', 'src/runtime/**', 'src/protocol/**'],
    rules: {
      'no-restricted-imports': ['error', pureRestrictions],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'process',
        'require',
        'setTimeout',
        'setImmediate',
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use the seeded generator in src/engine/rng.ts.',
        },
      ],
    },
  },
  {
    // the training worker runs in a worker thread of the extension host, where vscode does not exist
    files: ['src/worker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The training worker runs without vscode.' }],
          patterns: [
            {
              group: ['**/notebook/**', '**/panel/**', '**/views/**', '**/cli/**'],
              message: 'The worker imports only pure layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/views/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Browser code cannot import vscode.' }],
          patterns: [
            {
              group: [
                '**/engine/**',
                '**/language/**',
                '**/runtime/**',
                '**/notebook/**',
                '**/panel/**',
                'node:*',
              ],
              message: 'Browser views import only protocol.',
            },
          ],
        },
      ],
    },
  },
);
