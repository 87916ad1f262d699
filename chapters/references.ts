/**
 * The book's bibliography: every work the chapters cite, each with a DOI or an arXiv link. A
 * chapter cites one with a Markdown link, `[Loshchilov & Hutter (2017)](cite:loshchilov2017)`,
 * whose text the terminal shows and the site links to the work's entry on `references.html`.
 *
 * @module
 */

import type { Bibliography } from "../lib/site/bibliography.ts";

/** The works, in the references page's order: by first author, then year. */
export const bibliography: Bibliography = [
  {
    key: "defazio2023",
    authors: "Aaron Defazio, Ashok Cutkosky, Harsh Mehta and Konstantin Mishchenko",
    year: 2023,
    title: "Optimal Linear Decay Learning Rate Schedules and Further Refinements",
    venue: "arXiv preprint",
    arxiv: "2310.07831",
  },
  {
    key: "goyal2017",
    authors:
      "Priya Goyal, Piotr Dollár, Ross Girshick, Pieter Noordhuis, Lukasz Wesolowski, Aapo Kyrola, Andrew Tulloch, Yangqing Jia and Kaiming He",
    year: 2017,
    title: "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour",
    venue: "arXiv preprint",
    arxiv: "1706.02677",
  },
  {
    key: "gotmare2019",
    authors: "Akhilesh Gotmare, Nitish Shirish Keskar, Caiming Xiong and Richard Socher",
    year: 2019,
    title:
      "A Closer Look at Deep Learning Heuristics: Learning Rate Restarts, Warmup and Distillation",
    venue: "International Conference on Learning Representations (ICLR 2019); arXiv 2018",
    arxiv: "1810.13243",
  },
  {
    key: "hagele2024",
    authors:
      "Alexander Hägele, Elie Bakouch, Atli Kosson, Loubna Ben Allal, Leandro Von Werra and Martin Jaggi",
    year: 2024,
    title: "Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations",
    venue: "arXiv preprint",
    arxiv: "2405.18392",
  },
  {
    key: "he2016",
    authors: "Kaiming He, Xiangyu Zhang, Shaoqing Ren and Jian Sun",
    year: 2016,
    title: "Deep Residual Learning for Image Recognition",
    venue: "IEEE Conference on Computer Vision and Pattern Recognition (CVPR 2016), 770–778",
    doi: "10.1109/CVPR.2016.90",
    arxiv: "1512.03385",
  },
  {
    key: "he2019",
    authors: "Tong He, Zhi Zhang, Hang Zhang, Zhongyue Zhang, Junyuan Xie and Mu Li",
    year: 2019,
    title: "Bag of Tricks for Image Classification with Convolutional Neural Networks",
    venue: "IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR 2019)",
    doi: "10.1109/CVPR.2019.00065",
    arxiv: "1812.01187",
  },
  {
    key: "hu2024",
    authors:
      "Shengding Hu, Yuge Tu, Xu Han, Chaoqun He, Ganqu Cui, Xiang Long, Zhi Zheng, Yewei Fang, Yuxiang Huang, Weilin Zhao, Xinrong Zhang, Zheng Leng Thai, Kaihuo Zhang, Chongyi Wang, Yuan Yao, Chenyang Zhao, Jie Zhou, Jie Cai, Zhongwu Zhai, Ning Ding, Chao Jia, Guoyang Zeng, Dahai Li, Zhiyuan Liu and Maosong Sun",
    year: 2024,
    title:
      "MiniCPM: Unveiling the Potential of Small Language Models with Scalable Training Strategies",
    venue: "arXiv preprint",
    arxiv: "2404.06395",
  },
  {
    key: "izmailov2018",
    authors:
      "Pavel Izmailov, Dmitrii Podoprikhin, Timur Garipov, Dmitry Vetrov and Andrew Gordon Wilson",
    year: 2018,
    title: "Averaging Weights Leads to Wider Optima and Better Generalization",
    venue: "Conference on Uncertainty in Artificial Intelligence (UAI 2018)",
    arxiv: "1803.05407",
  },
  {
    key: "krizhevsky2012",
    authors: "Alex Krizhevsky, Ilya Sutskever and Geoffrey E. Hinton",
    year: 2012,
    title: "ImageNet Classification with Deep Convolutional Neural Networks",
    venue: "Advances in Neural Information Processing Systems 25 (NIPS 2012); " +
      "Communications of the ACM 60(6), 84–90 (2017)",
    doi: "10.1145/3065386",
  },
  {
    key: "loshchilov2017",
    authors: "Ilya Loshchilov and Frank Hutter",
    year: 2017,
    title: "SGDR: Stochastic Gradient Descent with Warm Restarts",
    venue: "International Conference on Learning Representations (ICLR 2017); arXiv 2016",
    arxiv: "1608.03983",
  },
  {
    key: "robbins1951",
    authors: "Herbert Robbins and Sutton Monro",
    year: 1951,
    title: "A Stochastic Approximation Method",
    venue: "The Annals of Mathematical Statistics 22(3), 400–407",
    doi: "10.1214/aoms/1177729586",
  },
  {
    key: "smith2017",
    authors: "Leslie N. Smith",
    year: 2017,
    title: "Cyclical Learning Rates for Training Neural Networks",
    venue: "IEEE Winter Conference on Applications of Computer Vision (WACV 2017); arXiv 2015",
    arxiv: "1506.01186",
  },
  {
    key: "smith2019",
    authors: "Leslie N. Smith and Nicholay Topin",
    year: 2019,
    title: "Super-Convergence: Very Fast Training of Neural Networks Using Large Learning Rates",
    venue:
      "Artificial Intelligence and Machine Learning for Multi-Domain Operations Applications, Proc. SPIE 11006; arXiv 2017",
    arxiv: "1708.07120",
  },
  {
    key: "welling2011",
    authors: "Max Welling and Yee Whye Teh",
    year: 2011,
    title: "Bayesian Learning via Stochastic Gradient Langevin Dynamics",
    venue: "International Conference on Machine Learning (ICML 2011), 681–688",
    url: "https://www.stats.ox.ac.uk/~teh/research/compstats/WelTeh2011a.pdf",
  },
  {
    key: "zhang2023",
    authors: "Aston Zhang, Zachary C. Lipton, Mu Li and Alexander J. Smola",
    year: 2023,
    title: "Dive into Deep Learning",
    venue: "Cambridge University Press; online at d2l.ai",
    arxiv: "2106.11342",
    url: "https://d2l.ai",
  },
];

/** The section of the original book the chapters follow. */
export const D2L_SECTION = "https://d2l.ai/chapter_optimization/lr-scheduler.html";

/**
 * The link to a part of that section, for a chapter's `original`.
 *
 * @param title The part's title in the original (its anchor is made from it, as Sphinx does).
 * @returns The chapter's `original`.
 */
export function d2l(title: string | null): { title: string; href: string } {
  if (title === null) return { title: "“Learning Rate Scheduling”", href: D2L_SECTION };
  const anchor = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return { title: `“${title}” in “Learning Rate Scheduling”`, href: `${D2L_SECTION}#${anchor}` };
}
