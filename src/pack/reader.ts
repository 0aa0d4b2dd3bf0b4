/**
 * Reads what the host needs from a pack image: the header (checked with clear errors before
 * the image goes to Wasm, which validates every offset) and, lazily, the JSON metadata.
 */
import { ABI_VERSION } from "../engine/abi.js";
import type { PackMeta } from "./compile.js";
import { PackError } from "./errors.js";
import { FORMAT_VERSION, HEADER_SIZE, MAGIC, SECTION_ENTRY_SIZE } from "./format.js";

export interface PackHeader {
  formatVersion: number;
  abi: number;
  length: number;
  ruleCount: number;
  groupCount: number;
  threshold: number;
  metaOffset: number;
  metaLength: number;
}

const fail = (message: string) => new PackError([{ path: "image", message }], "pack image");

export function toBytes(image: Uint8Array | ArrayBuffer): Uint8Array {
  return image instanceof Uint8Array ? image : new Uint8Array(image);
}

export function readPackHeader(image: Uint8Array): PackHeader {
  if (image.length < HEADER_SIZE) throw fail(`image is ${image.length} bytes, shorter than the ${HEADER_SIZE}-byte header`);
  for (let i = 0; i < MAGIC.length; i++)
    if (image[i] !== MAGIC.charCodeAt(i)) throw fail(`not a wafer pack image (bad magic; expected "${MAGIC}")`);
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const header: PackHeader = {
    formatVersion: view.getUint16(8, true),
    abi: view.getUint16(10, true),
    length: view.getUint32(16, true),
    ruleCount: view.getUint32(28, true),
    groupCount: view.getUint32(32, true),
    threshold: view.getUint32(36, true),
    metaOffset: view.getUint32(40, true),
    metaLength: view.getUint32(44, true),
  };
  if (header.formatVersion !== FORMAT_VERSION)
    throw fail(`pack format version ${header.formatVersion}; this engine reads version ${FORMAT_VERSION}`);
  if (header.abi !== ABI_VERSION) throw fail(`pack needs engine ABI ${header.abi}; this engine implements ABI ${ABI_VERSION}`);
  if (header.length !== image.length) throw fail(`header says ${header.length} bytes but the image has ${image.length} (truncated?)`);
  if (header.metaOffset + header.metaLength > image.length) throw fail("metadata section lies outside the image");
  return header;
}

/** Parses the host-only metadata (rule ids, messages, families). Called lazily. */
export function readPackMeta(image: Uint8Array, header: PackHeader = readPackHeader(image)): PackMeta {
  const text = new TextDecoder().decode(image.subarray(header.metaOffset, header.metaOffset + header.metaLength));
  try {
    return JSON.parse(text) as PackMeta;
  } catch (e) {
    throw fail(`metadata is not valid JSON: ${(e as Error).message}`);
  }
}

/** Where section `id` lies in the image (its directory entry), or null when the image has none. */
export function readSection(image: Uint8Array, id: number): { offset: number; length: number; count: number } | null {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const sections = view.getUint32(24, true);
  if (sections > 64 || HEADER_SIZE + sections * SECTION_ENTRY_SIZE > image.length) throw fail("section directory lies outside the image");
  for (let i = 0; i < sections; i++) {
    const at = HEADER_SIZE + i * SECTION_ENTRY_SIZE;
    if (view.getUint32(at, true) !== id) continue;
    const offset = view.getUint32(at + 4, true);
    const length = view.getUint32(at + 8, true);
    if (offset + length > image.length) throw fail(`section ${id} lies outside the image`);
    return { offset, length, count: view.getUint32(at + 12, true) };
  }
  return null;
}

/** Whether the image lists section `id`; false for anything unreadable (its loader reports that). */
export function hasSection(image: Uint8Array, id: number): boolean {
  try {
    return image.length >= HEADER_SIZE && readSection(image, id) !== null;
  } catch {
    return false;
  }
}
