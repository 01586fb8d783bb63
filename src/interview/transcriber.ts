// Speech to text for voice answers: an OpenAI-compatible /audio/transcriptions endpoint
// (OPENAI_BASE_URL + OPENAI_TRANSCRIPTION_MODEL). app.ts builds it from the config; the bot
// only receives it.
import type { OpenAI } from 'openai';

export interface Transcriber {
  /** e.g. "whisper-1", for the logs */
  readonly label: string;
  transcribe(audio: Buffer, filename: string, signal?: AbortSignal): Promise<string>;
}

export function createOpenAITranscriber(client: OpenAI, model: string): Transcriber {
  return {
    label: model,
    async transcribe(audio, filename, signal) {
      // the SDK is loaded already (the client is one); importing it statically would load it at every start
      const { toFile } = await import('openai');
      const result = await client.audio.transcriptions.create({ file: await toFile(audio, filename), model, language: 'zh' }, { signal });
      return result.text.trim();
    },
  };
}
