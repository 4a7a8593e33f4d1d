{{%AUTOESCAPE context="HTML"}}<section aria-labelledby="rating-heading">
<h2 id="rating-heading">{{t_ratings__panel_title}}</h2>
<p>{{SCORE}} · {{DATE}}</p>
{{#HAS_COMMENT}}<blockquote><p>{{COMMENT}}</p></blockquote>{{/HAS_COMMENT}}
</section>
