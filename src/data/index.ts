export {
  fashionMnist,
  FASHION_MNIST_CLASS_NAMES,
  type FashionMnist,
  type FashionMnistOptions,
} from './fashion-mnist.js';
export { parseIdx } from './idx.js';
