// The slice of supertest that helper.request() returns and the tests use.
export interface TestResponse {
  status: number;
  body: unknown;
  text: string;
}
export interface TestRequest extends PromiseLike<TestResponse> {
  send(body: unknown): TestRequest;
  set(header: string, value: string): TestRequest;
  expect(status: number): TestRequest;
}
export interface SuperTestLike {
  get(path: string): TestRequest;
  post(path: string): TestRequest;
}
