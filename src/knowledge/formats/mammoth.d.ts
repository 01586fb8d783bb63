// The part of mammoth's API used here (the package ships no types).
declare module 'mammoth' {
  interface ConversionResult {
    value: string;
    messages: Array<{ type: string; message: string }>;
  }
  const mammoth: {
    convertToHtml(input: { buffer: Buffer }, options?: { styleMap?: string[] }): Promise<ConversionResult>;
  };
  export default mammoth;
}
