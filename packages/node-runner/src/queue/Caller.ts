/** Who a request comes from: a token's name, and whether it is an operator's (sees and cancels every job). */
export interface Caller {
  name: string;
  operator: boolean;
}
