"""Work diary (工作网络日记): check-in at the contact point, diary entries, county review, ratings, surveys."""
