/* words.h - one line's words: the tokenizer and comment rule of every line format in the tree. */
#ifndef HN_WORDS_H
#define HN_WORDS_H

int hn_words_split(char *line, char **words, int max);

#endif
