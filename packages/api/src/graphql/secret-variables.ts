import { parse, visit, type ValueNode } from 'graphql';
import { isSecretName } from './secret-names';

function variablesIn(value: ValueNode, found: Set<string>): void {
  visit(value, {
    Variable(node) {
      found.add(node.name.value);
    },
  });
}

/**
 * The variables of an operation whose value may be a secret: those named for one, and those passed to an
 * argument or an input field named for one (`login(password: $p)`, `{ apiKey: $k }`), at any depth.
 * Undefined when the text does not parse, so the caller can assume the worst.
 */
export function secretVariablesOf(operationText: string): Set<string> | undefined {
  let document;
  try {
    document = parse(operationText, { noLocation: true });
  } catch {
    return undefined;
  }
  const found = new Set<string>();
  visit(document, {
    VariableDefinition(node) {
      if (isSecretName(node.variable.name.value)) found.add(node.variable.name.value);
    },
    Argument(node) {
      if (isSecretName(node.name.value)) variablesIn(node.value, found);
    },
    ObjectField(node) {
      if (isSecretName(node.name.value)) variablesIn(node.value, found);
    },
  });
  return found;
}
