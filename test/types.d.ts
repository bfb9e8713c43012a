// node-red-node-test-helper ships no types: the part the tests use.
declare module 'node-red-node-test-helper' {
  interface Helper {
    init(nodeRedPath?: string, userSettings?: Record<string, unknown>): void;
    settings(s: Record<string, unknown>): Record<string, unknown>;
    load(nodes: unknown, flow: object[], credentials?: Record<string, Record<string, string>>): Promise<void>;
    setFlows(flow: object[], type: 'full' | 'flows' | 'nodes', credentials?: Record<string, Record<string, string>>): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): unknown;
    clearFlows(): Promise<void>;
    startServer(): Promise<void>;
    stopServer(): Promise<void>;
    url(): string;
    request(): import('./supertest-lite').SuperTestLike;
    log(): unknown;
  }
  const helper: Helper;
  export default helper;
}
