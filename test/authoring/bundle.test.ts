import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decryptBundle, encryptBundle, openBundle, packDirectory, sealDirectory, unpackDirectory } from '../../src/authoring/bundle';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bundle-test-'));

describe('encrypted bundles', () => {
  const plain = Buffer.from('hidden tests: seed 4242 and some bytes \u0000\u00ff', 'utf8');

  it('round-trips with the right key and starts with the MLGB1 magic', () => {
    const sealed = encryptBundle(plain, 'correct horse');
    expect(sealed.subarray(0, 5).toString('ascii')).toBe('MLGB1');
    expect(sealed.includes(Buffer.from('seed 4242'))).toBe(false);
    expect(decryptBundle(sealed, 'correct horse').equals(plain)).toBe(true);
  });

  it('uses a fresh salt and iv each time', () => {
    expect(encryptBundle(plain, 'k').equals(encryptBundle(plain, 'k'))).toBe(false);
  });

  it('rejects a wrong key', () => {
    expect(() => decryptBundle(encryptBundle(plain, 'right'), 'wrong')).toThrow('wrong key or corrupted bundle');
  });

  it('rejects any tampered byte (header, tag or ciphertext)', () => {
    const sealed = encryptBundle(plain, 'k');
    for (const index of [6, 5 + 16 + 3, 5 + 16 + 12 + 2, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[index] ^= 0x01;
      expect(() => decryptBundle(bad, 'k')).toThrow('wrong key or corrupted bundle');
    }
    expect(() => decryptBundle(Buffer.from('nope'), 'k')).toThrow(/not an mlgrade bundle/);
  });
});

describe('packDirectory / unpackDirectory', () => {
  it('round-trips a folder tree through an encrypted bundle file', () => {
    const src = tmp();
    fs.mkdirSync(path.join(src, 'hidden', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(src, 'index.js'), 'module.exports = 1;\n');
    fs.writeFileSync(path.join(src, 'hidden', 'deep', 'cases.bin'), Buffer.from([0, 1, 2, 255]));
    const bundle = path.join(tmp(), 'hidden.mlgb');
    sealDirectory(src, bundle, 'pass');
    const dest = tmp();
    expect(openBundle(bundle, dest, 'pass').sort()).toEqual(['hidden/deep/cases.bin', 'index.js']);
    expect(fs.readFileSync(path.join(dest, 'index.js'), 'utf8')).toBe('module.exports = 1;\n');
    expect([...fs.readFileSync(path.join(dest, 'hidden', 'deep', 'cases.bin'))]).toEqual([0, 1, 2, 255]);
  });

  it.each(['../escape.js', 'a/../../escape.js', '/etc/passwd', '\\\\server\\x', 'C:\\x.js', 'a//b', './a'])('refuses the crafted path %s and writes nothing', (evil) => {
    const root = tmp();
    const dest = path.join(root, 'dest');
    const crafted = Buffer.from(JSON.stringify({ format: 'mlgrade-bundle/1', files: { 'ok.js': Buffer.from('1').toString('base64'), [evil]: Buffer.from('pwned').toString('base64') } }));
    const sealed = encryptBundle(crafted, 'k');
    expect(() => unpackDirectory(decryptBundle(sealed, 'k'), dest)).toThrow(/unsafe path/);
    expect(fs.existsSync(path.join(root, 'escape.js'))).toBe(false);
    expect(fs.existsSync(path.join(dest, 'ok.js'))).toBe(false);
  });

  it('packs only relative forward-slash paths', () => {
    const src = tmp();
    fs.mkdirSync(path.join(src, 'a'));
    fs.writeFileSync(path.join(src, 'a', 'b.txt'), 'x');
    expect(Object.keys(JSON.parse(packDirectory(src).toString('utf8')).files)).toEqual(['a/b.txt']);
  });
});
