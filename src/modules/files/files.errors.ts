// The failures of file storage, each with a stable code that the files service maps to an answer
// (413 for a file too large, 404 for a missing one); an invalid key is a bug in the caller.

export class TooLargeError extends Error {
  readonly code = 'file_too_large';
  constructor(readonly maxBytes: number) {
    super(`file is larger than ${maxBytes} bytes`);
    this.name = 'TooLargeError';
  }
}

export class FileNotFoundError extends Error {
  readonly code = 'file_not_found';
  constructor(readonly key: string) {
    super(`no stored file under ${key}`);
    this.name = 'FileNotFoundError';
  }
}

export class InvalidKeyError extends Error {
  readonly code = 'invalid_storage_key';
  constructor(readonly key: string) {
    super(`not a storage key: ${JSON.stringify(key)}`);
    this.name = 'InvalidKeyError';
  }
}
