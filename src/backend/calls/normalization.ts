// Normalization kernel calls (the model-stack issue fills this family in).

export type NormalizationCall = never;
